global using ActorMigrate.Testing.Fuzzing;
