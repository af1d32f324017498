using PortScan.Coordinator.Cli;

namespace PortScan.Coordinator.Output;

/// <summary>
/// Report files the user asked for: checked before a scan starts, so a bad path costs no scan;
/// and if writing still fails at the end, the report is kept elsewhere and the user told where.
/// </summary>
internal static class ReportFiles
{
    /// <exception cref="UsageException">One line: why <paramref name="path"/> cannot take a report.</exception>
    public static void CheckWritable(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UsageException($"cannot write '{path}': it is a directory");
        }
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"cannot write '{path}': its directory does not exist");
        }
        try
        {
            // The report is written beside its target and renamed over it (AtomicFile): try exactly that.
            using (File.Create(Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.probe"), 1, FileOptions.DeleteOnClose))
            {
            }
            if (File.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.ReadOnly))
            {
                throw new UnauthorizedAccessException("it is read-only");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write '{path}': no file can be written in {directory}");
        }
    }

    /// <summary>Writes the report; null when it was written, else what went wrong and where the report is instead.</summary>
    public static string? WriteOrKeep(string path, Action<TextWriter> write)
    {
        try
        {
            AtomicFile.Write(path, write);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var kept = Path.Combine(Path.GetTempPath(), $"portscan-{Environment.ProcessId}-{Path.GetFileName(path)}");
            try
            {
                AtomicFile.Write(kept, write);
                return $"cannot write '{path}' ({e.Message}); the report is in '{kept}' instead";
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                return $"cannot write '{path}' ({e.Message}), nor '{kept}' ({again.Message}): this report is lost";
            }
        }
    }
}
