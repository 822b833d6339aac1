// The tests run qemu-img and read Unix file modes: Linux only, like Vireo itself.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
