namespace PortScan.Worker;

/// <summary>The engine cannot go on (not a port's fault); the ports not yet reported stay unscanned.</summary>
internal sealed class ScanFailedException(string message) : Exception(message);
