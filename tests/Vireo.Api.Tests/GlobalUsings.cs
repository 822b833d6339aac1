global using Vireo.Api.Tests.Fakes;
