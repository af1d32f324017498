using System.Net;

namespace PortScan.Coordinator.Targets;

/// <summary>A target as the user wrote it and the one address every worker scans.</summary>
public sealed record ResolvedTarget(string Name, IPAddress Address);
