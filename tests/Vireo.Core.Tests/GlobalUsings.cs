global using Vireo.Testing.Fakes;
global using Vireo.Testing;
global using Vireo.Core.Tenancy;
global using Vireo.Core.Compute;
