using PvMonitor.Cli;

// pvmonitor: PV condition monitoring. Every verb lives in Cli/; all service wiring lives in Hosting/.
return await PvMonitorCli.RunAsync(args, Console.Out, Console.Error);

/// <summary>The entry point (top-level statements above); public so tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
