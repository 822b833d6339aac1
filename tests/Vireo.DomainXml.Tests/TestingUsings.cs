global using Vireo.Testing;
global using Vireo.Core;
