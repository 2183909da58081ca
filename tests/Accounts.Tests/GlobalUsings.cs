global using ActorMigrate.Canisters;
