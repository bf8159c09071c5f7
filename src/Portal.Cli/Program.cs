using Lethe.Cli;

return CliApp.Run(args);
