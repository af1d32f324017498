using PortScan.Coordinator.Scanning;

namespace PortScan.Tests;

public class BoundedLineReaderTests
{
    private static async Task<List<(string, bool)>> ReadAll(string text, int maxLength)
    {
        var reader = new BoundedLineReader(new StringReader(text), maxLength);
        var lines = new List<(string, bool)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }

    [Test]
    public async Task Splits_lines_like_ReadLine()
    {
        (await ReadAll("a\r\nbb\n\nccc", 100)).ShouldBe([("a", false), ("bb", false), ("", false), ("ccc", false)]);
    }

    [Test]
    public async Task Cuts_a_line_past_the_cap_and_goes_on_with_the_next()
    {
        var endless = new string('x', 50_000);

        var lines = await ReadAll($"{endless}\nok\n{endless}", 1000);

        lines.Count.ShouldBe(3);
        lines[0].Item2.ShouldBeTrue();
        lines[0].Item1.Length.ShouldBeLessThanOrEqualTo(200);
        lines[1].ShouldBe(("ok", false));
        lines[2].Item2.ShouldBeTrue();
    }
}
