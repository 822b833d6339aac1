global using Vireo.Testing;
global using Vireo.Core;
global using Vireo.Core.Ports;
