using PortScan.Coordinator.Cli;

namespace PortScan.Tests;

public class DurationsTests
{
    [TestCase("1s", 1000)]
    [TestCase("250ms", 250)]
    [TestCase("1000", 1000)]
    [TestCase("1.5s", 1500)]
    [TestCase("2m", 120_000)]
    [TestCase(" 40MS ", 40)]
    public void Parses_what_users_type(string text, int milliseconds)
    {
        Durations.TryParse(text, out var value, out var error).ShouldBeTrue(error);
        value.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [TestCase("0")]
    [TestCase("0s")]
    [TestCase("-1s")]
    [TestCase("abc")]
    [TestCase("")]
    [TestCase("1h")]
    [TestCase("2 s")]
    [TestCase("61m")]
    public void Rejects_zero_negative_unparsable_and_absurd_values(string text)
    {
        Durations.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrWhiteSpace();
    }
}
