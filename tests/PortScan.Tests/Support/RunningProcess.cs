using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace PortScan.Tests.Support;

/// <summary>A real executable the test interacts with while it runs: watches its stderr, sends it signals.</summary>
public sealed partial class RunningProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    private static readonly Lazy<bool> InterruptDispositionReset = new(ResetInterruptDisposition);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly Task _readers;

    private RunningProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(Pump(process.StandardOutput, _stdout), Pump(process.StandardError, _stderr));
    }

    public int Pid => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static RunningProcess Start(string fileName, params string[] arguments) => StartWith(new Dictionary<string, string>(), fileName, arguments);

    /// <summary>Started with <paramref name="environment"/> added to the test's own.</summary>
    public static RunningProcess StartWith(IReadOnlyDictionary<string, string> environment, string fileName, params string[] arguments)
    {
        _ = InterruptDispositionReset.Value;
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        return new RunningProcess(Process.Start(startInfo)!);
    }

    /// <summary>Waits until stderr matches <paramref name="pattern"/> and returns the match.</summary>
    public Task<Match> WaitForStderrAsync(Regex pattern, TimeSpan limit) => WaitForAsync("stderr", () => Stderr, pattern, limit);

    /// <summary>Waits until stdout matches <paramref name="pattern"/> and returns the match.</summary>
    public Task<Match> WaitForStdoutAsync(Regex pattern, TimeSpan limit) => WaitForAsync("stdout", () => Stdout, pattern, limit);

    private async Task<Match> WaitForAsync(string name, Func<string> text, Regex pattern, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var match = pattern.Match(text());
            if (match.Success)
            {
                return match;
            }
            if (stopwatch.Elapsed > limit || _process.HasExited && _readers.IsCompleted)
            {
                throw new TimeoutException($"{name} never matched {pattern}; it was:\n{text()}");
            }
            await Task.Delay(20);
        }
    }

    public void Signal(int signal) => Send(Pid, signal);

    /// <summary>Writes one line to its stdin: a protocol line, for a supervised worker.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>End-of-file on the process's stdin.</summary>
    public void CloseStandardInput() => _process.StandardInput.Close();

    public static void Send(int pid, int signal) => Kill(pid, signal).ShouldBe(0, $"kill({pid}, {signal})");

    public async Task<ProcessRun> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        await _readers;
        lock (_lock)
        {
            return new ProcessRun(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task Pump(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_lock)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    /// <summary>
    /// A process started with SIGINT ignored (a background job of a non-interactive shell, as CI
    /// may run us) passes that on, and .NET then never delivers SIGINT. Children should see the
    /// default, as they would from a terminal.
    /// </summary>
    private static bool ResetInterruptDisposition()
    {
        var ignored = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if ((Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0)
        {
            SetSignalHandler(SigInt, 0); // SIG_DFL
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint SetSignalHandler(int signal, nint handler);
}
