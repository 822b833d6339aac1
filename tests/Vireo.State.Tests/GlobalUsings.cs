global using static Vireo.State.Tests.Samples;
