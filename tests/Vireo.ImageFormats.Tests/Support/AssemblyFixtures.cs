[assembly: AssemblyFixture(typeof(Vireo.ImageFormats.Tests.Support.QemuImages))]
