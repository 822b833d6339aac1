global using Vireo.Core.Tests.Fakes;
