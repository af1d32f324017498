namespace PortScan.Coordinator.Output;

/// <summary>
/// Every line a scan writes while it runs, on stdout (open ports as they are found) and stderr
/// (logs, --stats-every), and the one status line at the bottom of stderr (the progress bar). A
/// line clears the status line first and draws it again after, under one lock, so a line never
/// runs into the bar (<c>ETA 0:0603:50:22.588 info: …</c>) and two lines never interleave.
/// </summary>
public sealed class ConsoleLines(TextWriter stderr)
{
    private const string ClearLine = "\r\x1b[K";

    private readonly Lock _lock = new();
    private string? _status;

    public void WriteLine(TextWriter writer, string line)
    {
        lock (_lock)
        {
            if (_status is not null)
            {
                stderr.Write(ClearLine);
                stderr.Flush();
            }
            writer.WriteLine(line);
            writer.Flush();
            if (_status is not null)
            {
                stderr.Write(_status);
                stderr.Flush();
            }
        }
    }

    /// <summary>Draws <paramref name="status"/> in place of the last one; null clears it for good.</summary>
    public void Status(string? status)
    {
        lock (_lock)
        {
            if (status is null && _status is null)
            {
                return;
            }
            stderr.Write(ClearLine + status);
            stderr.Flush();
            _status = status;
        }
    }
}
