# PvMonitor worker image (multi-stage). Minimal until the deployment issue; builds the pvmonitor executable.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# ReadyToRun: precompiled code, so a restarted worker draining a backlog spends less CPU in the JIT (bench/README.md, Worker).
# The publish output carries libtorch (libtorch-cpu-linux-x64: libtorch_cpu.so with MKL/oneDNN and its own libgomp)
# and TorchSharp's libLibTorchSharp.so (481 MB published app as measured when issue 12 was filed). The .NET 10 images
# are Ubuntu 24.04, whose libstdc++ has GLIBCXX_3.4.32, so the
# Debian 12 patch (README, "libtorch, GPUs and Debian 12") is not applied here. For CUDA add -p:TorchBackend=cuda and
# build FROM an image with the NVIDIA runtime.
RUN dotnet publish src/PvMonitor -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY models/ /app/models/
ENV PVMON_Data__Path=/var/lib/pvmonitor
# 32 MB gen-0 GC budget: under a 20,000 msg/s load the worker's peak RSS stayed at 371–377 MB with it and wandered between
# 360 and 463 MB without it, at the same throughput (bench/README.md, Worker). Only settable by environment variable.
ENV DOTNET_GCgen0size=0x2000000
VOLUME /var/lib/pvmonitor
EXPOSE 5080
ENTRYPOINT ["dotnet", "pvmonitor.dll"]
CMD ["run"]
