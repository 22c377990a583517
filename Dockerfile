# PvMonitor worker image: multi-stage (SDK build → ASP.NET runtime), non-root, the shipped model and TorchSharp's native
# libraries (libtorch-cpu-linux-x64) in the publish output, HEALTHCHECK on /healthz, configuration through PVMON_ variables
# (PVMON_Mqtt__Host → Mqtt:Host) and state on the volume /var/lib/pvmonitor (Data:Path: store, spool, model registry,
# operations.db, logs). docker-compose.yml runs it with mosquitto, InfluxDB 2 and Grafana.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/ src/
COPY models/default/ models/default/
# ReadyToRun: precompiled code, so a restarted worker draining a backlog spends less CPU in the JIT (bench/README.md, Worker).
# The publish output carries libtorch (libtorch_cpu.so with MKL/oneDNN and its own libgomp), TorchSharp's
# libLibTorchSharp.so and models/default. The .NET 10 images are Ubuntu 24.04, whose libstdc++ has GLIBCXX_3.4.32, so the
# Debian 12 patch (README, "libtorch, GPUs and Debian 12") is not applied here. For CUDA add -p:TorchBackend=cuda and build
# FROM an image with the NVIDIA runtime.
RUN dotnet publish src/PvMonitor -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/pvmonitor \
 && chown app:app /var/lib/pvmonitor
WORKDIR /app
COPY --from=build /app .
ENV PVMON_Data__Path=/var/lib/pvmonitor \
    PVMON_Api__Urls=http://0.0.0.0:5080 \
    PVMON_Serilog__WriteTo__1__Args__path=/var/lib/pvmonitor/logs/pvmonitor-.log \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# 32 MB gen-0 GC budget: under a 20,000 msg/s load the worker's peak RSS stayed at 371–377 MB with it and wandered between
# 360 and 463 MB without it, at the same throughput (bench/README.md, Worker). Only settable by environment variable.
ENV DOTNET_GCgen0size=0x2000000
# glibc's heap from process start: libtorch's per-batch tensors are reused instead of mapped and faulted in again, in at
# most 2 arenas (worker CPU per message 33 → 20–25 µs, peak RSS 522 MB at 20,000 msg/s: bench/README.md, Worker;
# src/PvMonitor.Learning/Torch/NativeHeapTuning.cs). pvmonitor applies the same from Main when these are absent, later.
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=67108864 MALLOC_TOP_PAD_=16777216
# The .NET images' unprivileged user (uid 1654).
USER app
VOLUME /var/lib/pvmonitor
# Inside the container the API listens on all interfaces of the container's network; publish it on loopback only
# (docker-compose.yml does): /healthz, /readyz and /metrics need no token.
EXPOSE 5080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS http://127.0.0.1:5080/healthz || exit 1
ENTRYPOINT ["dotnet", "pvmonitor.dll"]
CMD ["run"]
