using System.Xml.Linq;

namespace PvMonitor.Tests.Deployment;

public sealed class ArchitectureImageTests
{
    [Fact]
    public void The_readme_shows_the_architecture_image_which_is_a_well_formed_svg_naming_each_stage()
    {
        DeploymentFiles.Read("README.md").Should().Contain("](deploy/architecture.svg)");

        var svg = XDocument.Load(DeploymentFiles.PathOf("deploy/architecture.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Root!.Name.Should().Be(ns + "svg");
        svg.Root.Element(ns + "title")!.Value.Should().Contain("MQTT").And.Contain("InfluxDB");
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        texts.Should().Contain(["Ingest", "Scoring", "Alerts", "Storage", "Acknowledge", "Retraining", "Model registry", "MQTT broker", "InfluxDB", "Webhook receivers"]);
    }
}
