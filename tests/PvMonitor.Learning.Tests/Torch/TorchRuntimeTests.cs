using PvMonitor.Learning.Torch;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Torch;

public class TorchRuntimeTests
{
    [Fact]
    public void Auto_and_cpu_resolve_to_a_usable_device()
    {
        TorchRuntime.ResolveDevice("cpu").type.Should().Be(TorchSharp.DeviceType.CPU);
        var auto = TorchRuntime.ResolveDevice("auto");
        auto.type.Should().Be(TorchRuntime.CudaAvailable ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU);
    }

    [Fact]
    public void Cuda_where_none_exists_is_a_configuration_error_naming_the_option()
    {
        if (TorchRuntime.CudaAvailable)
        {
            TorchRuntime.ResolveDevice("cuda", "Model:Device").type.Should().Be(TorchSharp.DeviceType.CUDA);
            return;
        }

        var act = () => TorchRuntime.ResolveDevice("cuda", "Model:Device");
        act.Should().Throw<DeviceNotAvailableException>().WithMessage("Model:Device: 'cuda' asks for CUDA*Use cpu or auto*");
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    public void Unknown_device_names_are_refused_with_the_accepted_names(string name)
    {
        var act = () => TorchRuntime.ResolveDevice(name, "--device");
        act.Should().Throw<DeviceNotAvailableException>().WithMessage($"--device: '{name}' is not a device (cpu, cuda, cuda:N or auto*");
    }

    [Fact]
    public void Threads_are_set_and_out_of_range_counts_refused()
    {
        TorchRuntime.SetThreads(1);
        TorchRuntime.Threads.Should().Be(1);
        var act = () => TorchRuntime.SetThreads(0);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
