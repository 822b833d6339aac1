using System.CommandLine;
using Vireo.Cli;
using Vireo.Cli.Commands;

var root = new RootCommand("vireo: a KVM compute service configured the nova.conf way.");
GlobalOptions.AddTo(root);
VersionCommands.AddTo(root);
ConfigCommands.AddTo(root);
FlavorCommands.AddTo(root);
ImageCommands.AddTo(root);
ServerCommands.AddTo(root);
HostCommands.AddTo(root);
CpuCommands.AddTo(root);
Vireo.Cli.Serve.ServeCommand.AddTo(root);

return CommandRunner.Run(root, args);
