using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvMonitor.Hosting;

namespace PvMonitor.Tests.Hosting;

/// <summary>The worker's service collection over a given configuration, without a web host.</summary>
internal static class WorkerServices
{
    public static ServiceProvider For(IConfiguration configuration, WorkerMode? mode = null) =>
        new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddPvMonitor(mode ?? WorkerMode.Daemon)
            .BuildServiceProvider();

    public static T Options<T>(this IServiceProvider services) where T : class => services.GetRequiredService<IOptions<T>>().Value;

    /// <summary>Runs the validation <c>ValidateOnStart</c> registered, as the host does when it starts.</summary>
    public static void ValidateOnStart(this IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();
}
