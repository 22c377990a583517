using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace PvMonitor.Tests.Api;

/// <summary>Labels, conditions and audit over HTTP, with bearer tokens and roles, on the real host (<see cref="WorkerFactory"/>).</summary>
public sealed class OperationsApiTests
{
    private const string OperatorToken = "op-3c1d9e-secret";
    private const string ViewerToken = "view-77aa01-secret";

    private static string Sha256(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static WorkerFactory Secured() => new(
        ("Api:RequireAuth", "true"),
        ("Api:Tokens:0:Name", "alice"), ("Api:Tokens:0:Sha256", Sha256(OperatorToken)), ("Api:Tokens:0:Role", "operator"),
        ("Api:Tokens:1:Name", "bob"), ("Api:Tokens:1:Sha256", Sha256(ViewerToken).ToLowerInvariant()), ("Api:Tokens:1:Role", "viewer"));

    private static HttpClient As(WorkerFactory factory, string? token)
    {
        var client = factory.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static object Label(string str, string from, string to, string condition) =>
        new { plant = "p1", @string = str, from, to, condition, note = "inspected" };

    [Fact]
    public async Task Without_a_valid_token_the_api_answers_401_with_a_problem_health_stays_open_and_api_me_names_the_tokens_role()
    {
        using var factory = Secured();
        using var anonymous = As(factory, null);
        var response = await anonymous.GetAsync("/api/labels");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await anonymous.GetAsync("/api/strings")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var op = As(factory, OperatorToken))
            (await op.GetFromJsonAsync<JsonElement>("/api/me")).Should().Match<JsonElement>(me => me.GetProperty("name").GetString() == "alice" && me.GetProperty("role").GetString() == "operator");
        using (var viewer = As(factory, ViewerToken))
            (await viewer.GetFromJsonAsync<JsonElement>("/api/me")).Should().Match<JsonElement>(me => me.GetProperty("name").GetString() == "bob" && me.GetProperty("role").GetString() == "viewer");
        (await anonymous.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var wrong = As(factory, "not-a-token");
        (await wrong.GetAsync("/api/conditions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var hashItself = As(factory, Sha256(OperatorToken));
        (await hashItself.GetAsync("/api/conditions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the configured hash is not a token");
    }

    [Fact]
    public async Task A_viewer_reads_but_may_not_write()
    {
        using var factory = Secured();
        using var viewer = As(factory, ViewerToken);
        var conditions = await viewer.GetFromJsonAsync<JsonElement>("/api/conditions");
        conditions.EnumerateArray().Select(c => c.GetProperty("code").GetString()).Should().Contain(["N", "PS50", "S"]);
        (await viewer.GetAsync("/api/strings")).StatusCode.Should().Be(HttpStatusCode.OK);

        var post = await viewer.PostAsJsonAsync("/api/labels", Label("s1", "2026-06-01T08:00:00Z", "2026-06-01T10:00:00Z", "PS50"));
        post.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await viewer.DeleteAsync("/api/labels/1")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await viewer.GetFromJsonAsync<JsonElement>("/api/labels")).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task An_operator_creates_a_condition_and_labels_and_every_write_is_audited_under_the_token_name()
    {
        using var factory = Secured();
        using var op = As(factory, OperatorToken);
        var condition = await op.PostAsJsonAsync("/api/conditions", new { code = "SOIL", name = "Soiling", description = "Dust on the modules", severity = "warning" });
        condition.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = await condition.Content.ReadFromJsonAsync<JsonElement>();
        (created.GetProperty("severity").GetString(), created.GetProperty("createdBy").GetString()).Should().Be(("warning", "alice"));
        var bypass = await op.PostAsJsonAsync("/api/conditions", new { code = "BYPASS", name = "Shorted bypass diode", description = "", severity = "fault" });
        bypass.StatusCode.Should().Be(HttpStatusCode.Created);
        var catalog = factory.Services.GetRequiredService<PvMonitor.Domain.Conditions.ConditionCatalog>();
        catalog.TryGet("BYPASS", out var fault).Should().BeTrue("the alert engine's catalog grows with the operators' conditions");
        fault.IsFault.Should().BeTrue("a fault-severity condition raises fault alerts once a model predicts it");
        catalog.TryGet("SOIL", out var soil).Should().BeTrue();
        soil.Kind.Should().Be(PvMonitor.Domain.Conditions.ConditionKind.Environmental);

        var label = await op.PostAsJsonAsync("/api/labels", Label("s2", "2026-06-03T09:00:00Z", "2026-06-03T15:00:00Z", "SOIL"));
        label.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await label.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        label.Headers.Location!.ToString().Should().Be($"/api/labels/{id}");
        (body.GetProperty("author").GetString(), body.GetProperty("condition").GetString()).Should().Be(("alice", "SOIL"));

        var labels = await op.GetFromJsonAsync<JsonElement>("/api/labels?plant=p1&from=2026-06-03T00:00:00Z&to=2026-06-04T00:00:00Z");
        labels.GetArrayLength().Should().Be(1);

        (await op.DeleteAsync($"/api/labels/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var audit = await op.GetFromJsonAsync<JsonElement>("/api/audit");
        audit.EnumerateArray().Select(a => (a.GetProperty("actor").GetString(), a.GetProperty("action").GetString()))
            .Should().Equal(("alice", "label.delete"), ("alice", "label.create"), ("alice", "condition.create"), ("alice", "condition.create"));
    }

    [Fact]
    public async Task Refusals_are_problem_json_naming_the_field_the_conflict_or_the_missing_id()
    {
        using var factory = Secured();
        using var op = As(factory, OperatorToken);
        (await op.PostAsJsonAsync("/api/labels", Label("s1", "2026-06-01T08:00:00Z", "2026-06-01T12:00:00Z", "PS50"))).StatusCode.Should().Be(HttpStatusCode.Created);

        var overlap = await op.PostAsJsonAsync("/api/labels", Label("*", "2026-06-01T11:00:00Z", "2026-06-01T13:00:00Z", "RS4"));
        overlap.StatusCode.Should().Be(HttpStatusCode.Conflict);
        overlap.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var conflict = await overlap.Content.ReadFromJsonAsync<JsonElement>();
        conflict.GetProperty("field").GetString().Should().Be("from");
        conflict.GetProperty("detail").GetString().Should().Contain("overlaps label").And.Contain("PS50");

        var unknown = await op.PostAsJsonAsync("/api/labels", Label("s1", "2026-06-02T08:00:00Z", "2026-06-02T09:00:00Z", "NOPE"));
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var invalid = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        invalid.GetProperty("errors").GetProperty("condition")[0].GetString().Should().Contain("NOPE");

        var reversed = await op.PostAsJsonAsync("/api/labels", Label("s1", "2026-06-02T09:00:00Z", "2026-06-02T08:00:00Z", "N"));
        (await reversed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _).Should().BeTrue();

        var missing = await op.DeleteAsync("/api/labels/999");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().Should().Be("No label 999.");

        var malformed = await op.PostAsync("/api/labels", new StringContent("{not json", Encoding.UTF8, "application/json"));
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        malformed.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_operations_endpoints_without_a_token()
    {
        using var factory = Secured();
        using var anonymous = As(factory, null);
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi.json");
        var paths = document.GetProperty("paths");
        paths.TryGetProperty("/api/labels", out var labels).Should().BeTrue();
        labels.TryGetProperty("post", out _).Should().BeTrue();
        paths.TryGetProperty("/api/labels/{id}", out _).Should().BeTrue();
        paths.TryGetProperty("/api/conditions", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Without_require_auth_everyone_is_the_anonymous_operator()
    {
        using var factory = new WorkerFactory();
        using var client = As(factory, null);
        var label = await client.PostAsJsonAsync("/api/labels", Label("s1", "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", "N"));
        label.StatusCode.Should().Be(HttpStatusCode.Created);
        (await label.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("author").GetString().Should().Be("anonymous");
    }

    [Fact]
    public void A_token_configured_in_clear_instead_of_its_hash_is_a_configuration_error_naming_the_key()
    {
        using var factory = new WorkerFactory(("Api:Tokens:0:Name", "alice"), ("Api:Tokens:0:Sha256", OperatorToken), ("Api:Tokens:0:Role", "admin"));
        var start = () => factory.CreateClient();
        start.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Failures
            .Should().Contain(f => f.StartsWith("Api:Tokens:0:Sha256 must be the 64 hex digits"))
            .And.Contain(f => f.StartsWith("Api:Tokens:0:Role must be viewer or operator"));
    }
}
