using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Launching;

using var signals = new StopSignals();
// A scan's first worker starts now, beside the parse, and takes its slice on stdin once there is one.
using var spare = SpareWorker.For(args);
var exit = await PortScanCli.RunAsync(args, Console.Out, Console.Error, spare, signals.Token).ConfigureAwait(false);
// Commands say "interrupted" (130); which signal it was decides between 130 and 143.
return exit == ExitCodes.Interrupted ? signals.ExitCode : exit;
