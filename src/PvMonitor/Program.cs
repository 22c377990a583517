using PvMonitor.Cli;

// pvmonitor: PV condition monitoring. Every verb lives in Cli/; all service wiring lives in Hosting/.
return await PvMonitorCli.RunAsync(args, Console.Out, Console.Error);
