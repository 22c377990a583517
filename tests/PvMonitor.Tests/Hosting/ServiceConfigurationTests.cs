using Microsoft.Extensions.Configuration;
using PvMonitor.Hosting;
using PvMonitor.Hosting.Options;

namespace PvMonitor.Tests.Hosting;

public class ServiceConfigurationTests
{
    [Fact]
    public void Shipped_defaults_bind_and_validate()
    {
        using var services = WorkerServices.For(ServiceConfiguration.Build(null, []));
        services.ValidateOnStart();
        var mqtt = services.Options<MqttOptions>();
        mqtt.Topic.Should().Be("pv/+/+/+/telemetry");
        mqtt.Port.Should().Be(1883);
    }

    [Fact]
    public void The_mqtt5_receive_maximum_covers_the_client_queue_and_everything_the_pipeline_holds_unacknowledged()
    {
        var configuration = ServiceConfiguration.Build(null, ["Mqtt:ReceiveQueueCapacity=1000", "Pipeline:InputQueueCapacity=2000",
            "Pipeline:BatchesInFlight=10", "Pipeline:MaxConcurrentWrites=8", "Pipeline:MaxBatchSize=300"]);
        var options = ClientOptions(configuration);
        options.ReceiveQueueCapacity.Should().Be(1000);
        options.ReceiveMaximum.Should().Be(1000 + 2000 + 10 * 300);
        options.Filter.Should().Be("pv/+/+/+/telemetry");

        var big = ServiceConfiguration.Build(null, ["Pipeline:BatchesInFlight=1000", "Pipeline:MaxBatchSize=4096"]);
        ClientOptions(big).ReceiveMaximum.Should().Be(65_535, "the protocol's limit");
    }

    [Fact]
    public void The_mqtt_keys_map_onto_the_subscriber_options_with_a_shared_subscription_and_a_persistent_mqtt5_session()
    {
        var configuration = ServiceConfiguration.Build(null, ["Mqtt:SharedGroup=workers", "Mqtt:ProtocolVersion=5", "Mqtt:Topic=site/+/+/+/data",
            "Mqtt:KeepAliveSeconds=12", "Mqtt:Username=u", "Mqtt:Password=p"]);
        var options = ClientOptions(configuration);
        options.Filter.Should().Be("$share/workers/site/+/+/+/data");
        options.ProtocolVersion.Should().Be(5);
        options.CleanSession.Should().BeFalse();
        options.SessionExpirySeconds.Should().BeGreaterThan(0u, "MQTT 5's default expiry of 0 would drop unacknowledged messages at every disconnect");
        options.KeepAliveSeconds.Should().Be(12);
        (options.Username, options.Password).Should().Be(("u", "p"));
        options.GetValidationErrors().Should().BeEmpty();
    }

    [Theory]
    [InlineData("Retrain:Schedule=every day", "Retrain:Schedule must be a cron expression of 5 fields (minute hour day month weekday, e.g. '0 2 * * *') or 6 with seconds first (was 'every day': 2 fields).")]
    [InlineData("Retrain:Schedule=0 25 * * *", "Retrain:Schedule: '0 25 * * *' is not a valid cron expression")]
    [InlineData("Retrain:NewConditionDelay=-00:01:00", "Retrain:NewConditionDelay must be ≥ 00:00:00 (was -00:01:00).")]
    public void A_bad_retraining_schedule_or_delay_is_refused_at_start_with_the_key_named(string setting, string message)
    {
        using var services = WorkerServices.For(ServiceConfiguration.Build(null, [setting]));
        var validate = () => services.ValidateOnStart();
        var thrown = validate.Should().Throw<Exception>().Which;
        var failures = (thrown is AggregateException all ? all.InnerExceptions : [thrown]).OfType<Microsoft.Extensions.Options.OptionsValidationException>().SelectMany(e => e.Failures);
        failures.Should().Contain(f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Five_and_six_field_schedules_give_their_next_occurrence_in_utc()
    {
        var at = new DateTimeOffset(2026, 12, 4, 1, 30, 0, TimeSpan.Zero);
        PvMonitor.Monitoring.Operations.Retraining.RetrainSchedule.TryParse("0 2 * * *", out _)!.Next(at).Should().Be(new DateTimeOffset(2026, 12, 4, 2, 0, 0, TimeSpan.Zero));
        PvMonitor.Monitoring.Operations.Retraining.RetrainSchedule.TryParse("*/20 * * * * *", out _)!.Next(at).Should().Be(at.AddSeconds(20));
        PvMonitor.Monitoring.Operations.Retraining.RetrainSchedule.TryParse("0 2 * * 1", out _)!.Next(at).Should().Be(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero), "the next Monday");
    }

    [Fact]
    public void Validation_on_start_reports_every_invalid_section_at_once()
    {
        using var services = WorkerServices.For(ServiceConfiguration.Build(null, ["Mqtt:Hots=broker", "Pipeline:MaxBatchSize=many", "Model:Threads=0"]));
        var validate = () => services.ValidateOnStart();
        var failures = validate.Should().Throw<AggregateException>().Which.InnerExceptions
            .Should().AllBeOfType<Microsoft.Extensions.Options.OptionsValidationException>().Which.SelectMany(e => e.Failures).ToList();
        failures.Should().Contain("unknown key Mqtt:Hots (see the configuration reference in README.md).")
            .And.Contain("Pipeline:MaxBatchSize: 'many' is not an integer.")
            .And.Contain(f => f.StartsWith("Model:Threads"));
    }

    [Fact]
    public void Layers_apply_in_order_file_then_set()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pvmon-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "Mqtt": { "Host": "from-file", "Port": 1884 } }""");
        try
        {
            var configuration = ServiceConfiguration.Build(new FileInfo(file), ["Mqtt:Port=1885"]);
            using var services = WorkerServices.For(configuration);
            var mqtt = services.Options<MqttOptions>();
            mqtt.Host.Should().Be("from-file");
            mqtt.Port.Should().Be(1885);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Serilog_section_writes_to_a_rolling_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"pvmon-logs-{Guid.NewGuid():N}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Serilog:WriteTo:0:Name"] = "File",
            ["Serilog:WriteTo:0:Args:path"] = Path.Combine(dir, "pv-.log"),
            ["Serilog:WriteTo:0:Args:rollingInterval"] = "Day",
        }).Build();
        try
        {
            using (var logger = LoggingSetup.CreateLogger(configuration))
                logger.Information("hello {Who}", "operator");
            var files = Directory.GetFiles(dir, "pv-*.log");
            files.Should().ContainSingle();
            File.ReadAllText(files[0]).Should().Contain("hello operator");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    private static PvMonitor.Monitoring.Ingest.Mqtt.MqttIngestOptions ClientOptions(IConfiguration configuration)
    {
        using var services = WorkerServices.For(configuration);
        services.ValidateOnStart();
        return MqttClientSettings.Create(services.Options<MqttOptions>(), services.Options<PvMonitor.Monitoring.Ingest.IngestOptions>(),
            services.Options<PvMonitor.Monitoring.Pipeline.PipelineOptions>());
    }
}
