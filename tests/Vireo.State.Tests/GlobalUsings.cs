global using static Vireo.State.Tests.Samples;
global using Vireo.Testing;
