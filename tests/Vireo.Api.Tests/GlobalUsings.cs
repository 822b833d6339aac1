global using Vireo.Testing.Fakes;
global using Vireo.Testing;
