using PortScan.Coordinator.Cli;

return await PortScanCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
