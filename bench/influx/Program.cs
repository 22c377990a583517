using System.Globalization;
using PvMonitor.Influx.Bench;

var mode = args.Length > 0 ? args[0] : "encode";
string Str(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int Int(string name, int fallback) => int.Parse(Str(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

return mode switch
{
    "encode" => EncodeBenchmark.Run(Int("--points", 2_000_000), Int("--repeats", 7), bool.Parse(Str("--full-precision", "false"))),
    "ingest" => await IngestBenchmark.RunAsync(Str("--url", "http://127.0.0.1:8086"), Str("--db", "bench"), Int("--points", 500_000),
        Int("--batch", 5_000), bool.Parse(Str("--gzip", "false")), Int("--settle-ms", 2_000)),
    "post-files" => await IngestBenchmark.PostFilesAsync(Str("--url", "http://127.0.0.1:8086"), Str("--db", "bench"), Str("--dir", "batches"),
        bool.Parse(Str("--gzip", "false"))),
    "client-cost" => await ClientCostBenchmark.RunAsync(Int("--points", 1_000_000), Int("--repeats", 5), Int("--batch", 5_000)),
    "make-batches" => IngestBenchmark.MakeBatches(Str("--out", "batches"), Int("--points", 500_000), Int("--batch", 5_000)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: encode       [--points N] [--repeats N] [--full-precision true|false]
               ingest       --url URL --db NAME [--points N] [--batch N] [--gzip true|false] [--settle-ms N]
               post-files   --url URL --db NAME --dir DIR [--gzip true|false]
               make-batches --out DIR [--points N] [--batch N]
               client-cost  [--points N] [--repeats N] [--batch N]   (our encoder vs InfluxDB.Client's PointData; writer v1 vs v2, no server)
        """);
    return 2;
}
