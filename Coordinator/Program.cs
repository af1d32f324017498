using PortScan.Coordinator.Cli;

using var signals = new StopSignals();
var exit = await PortScanCli.RunAsync(args, Console.Out, Console.Error, signals.Token).ConfigureAwait(false);
// Commands say "interrupted" (130); which signal it was decides between 130 and 143.
return exit == ExitCodes.Interrupted ? signals.ExitCode : exit;
