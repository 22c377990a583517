using PvMonitor.Cli;
using PvMonitor.Learning.Torch;

// pvmonitor: PV condition monitoring. Every verb lives in Cli/; all service wiring lives in Hosting/.
// The C heap's settings first, before the host's threads get malloc arenas of their own (TorchRuntime.TuneNativeHeap).
TorchRuntime.TuneNativeHeap();
return await PvMonitorCli.RunAsync(args, Console.Out, Console.Error);

/// <summary>The entry point (top-level statements above); public so tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
