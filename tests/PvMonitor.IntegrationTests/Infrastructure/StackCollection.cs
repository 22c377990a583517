namespace PvMonitor.IntegrationTests.Infrastructure;

/// <summary>Tests sharing one mosquitto, one InfluxDB and one trained model; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
