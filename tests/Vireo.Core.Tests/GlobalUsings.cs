global using Vireo.Core.Tests.Fakes;
global using Vireo.Testing;
