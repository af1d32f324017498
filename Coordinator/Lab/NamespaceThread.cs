using System.Runtime.ExceptionServices;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// Runs work inside a named network namespace. setns() moves only the calling thread, and what that
/// thread makes (sockets, TUN devices) stays in the namespace it was made in: so a short-lived
/// thread of its own enters the namespace, does the work and ends, and no other work ever runs there.
/// </summary>
internal static class NamespaceThread
{
    public static void Run(string namespaceName, Action work) => Run(namespaceName, () =>
    {
        work();
        return true;
    });

    public static T Run<T>(string namespaceName, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{namespaceName}");
                if (Libc.setns((int)handle.DangerousGetHandle(), Libc.CloneNewNet) != 0)
                {
                    throw new IOException($"setns into {namespaceName} failed: {Libc.LastError()}");
                }
                result = work();
            }
            catch (Exception e)
            {
                // Rethrown on the caller's thread: unhandled on this one, it would end the process.
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
