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

    [TestCase(250, "250 ms")]
    [TestCase(1000, "1 s")]
    [TestCase(1250, "1.25 s")]
    [TestCase(10_000, "10 s")]
    [TestCase(300_000, "5 min")]
    public void Formats_a_duration_for_prose_in_the_largest_fitting_unit(int milliseconds, string text)
    {
        Durations.Format(milliseconds).ShouldBe(text);
    }
}
