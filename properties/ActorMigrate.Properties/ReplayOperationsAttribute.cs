using System.Reflection;
using ActorMigrate.Examples.Accounts.Fuzzing;
using Xunit.Sdk;

namespace ActorMigrate.Properties;

/// <summary>
/// Feeds a <c>[Theory]</c> the operation list saved in a JSON file (as <c>actormigrate fuzz</c> writes it
/// on a failure), so a counterexample becomes a regression test that replays exactly:
/// <code>
/// [Theory]
/// [ReplayOperations("replays/4626-label-not-store.json")]
/// public void Replay(FuzzOperationsJson.Document list) { … FuzzRunner.Run(target, list.Strategy, host, list.Operations) … }
/// </code>
/// The path is relative to the test project's folder (files are copied to the output).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ReplayOperationsAttribute(string path) : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        var file = Path.Combine(AppContext.BaseDirectory, path);
        yield return [FuzzOperationsJson.Read(File.ReadAllText(file), AccountsFuzzTarget.Instance)];
    }
}
