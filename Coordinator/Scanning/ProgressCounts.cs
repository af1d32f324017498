using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Counts kept as results are recorded, so that a tick's <see cref="ScanProgress"/> costs nothing
/// however large the scan: ports left a host, hosts up, TCP ports left.
/// </summary>
public sealed class ProgressCounts
{
    private readonly int[] _left;
    private readonly bool[] _up;
    private long _finished;
    private long _tcpLeft;
    private int _completed;
    private int _upCount;

    public ProgressCounts(ScanRequest request)
    {
        _left = new int[request.Targets.Count];
        Array.Fill(_left, request.Ports.Count);
        _up = new bool[request.Targets.Count];
        _tcpLeft = (long)request.Targets.Count * request.Ports.Tcp.Count;
        Total = request.Work.Count;
    }

    public long Total { get; }

    public void Recorded(int host, PortResult result)
    {
        _finished++;
        _tcpLeft -= result.Transport == Transport.Tcp ? 1 : 0;
        if (--_left[host] == 0)
        {
            _completed++;
        }
        if (result.State is PortState.Open or PortState.Closed && !_up[host])
        {
            _up[host] = true;
            _upCount++;
        }
    }

    public ScanProgress Snapshot(TimeSpan elapsed, TimeSpan? eta) =>
        new(elapsed, _finished, Total, eta, _left.Length, _completed, _upCount, _tcpLeft == 0 && _finished < Total);
}
