using ActorMigrate.Cli;

return await ActorMigrateApp.RunAsync(args);
