global using Vireo.Testing;
