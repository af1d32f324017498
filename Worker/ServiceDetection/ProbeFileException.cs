namespace PortScan.Worker.ServiceDetection;

/// <summary>A probe database that cannot be used: the file, the line (0 for the file as a whole) and what is wrong, in one sentence.</summary>
internal sealed class ProbeFileException(string file, int line, string problem)
    : Exception(line > 0 ? $"{file} line {line}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
}
