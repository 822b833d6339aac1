global using Vireo.Testing.Fakes;
