namespace ActorMigrate.Canisters;

/// <summary>
/// A round split into steps that each touch one canister only, so a host (the actor layer) can run
/// every canister's executions on its own thread or actor while the subnet keeps the order:
/// <see cref="BeginRound"/> → <see cref="RunSystemTasks"/> per canister → <see cref="BeginDeliveries"/>
/// → <see cref="RunDeliveries"/> per canister → <see cref="EndRound"/>. The result — state, answers,
/// next round's queue and trace — is exactly that of <see cref="Tick"/>.
/// </summary>
/// <remarks>
/// The per-canister steps of one phase may run concurrently for different canisters: they read only
/// the subnet's settings, clock and canister table, and write only their canister and their
/// <see cref="RoundOutput"/>. The subnet itself must not be used meanwhile.
/// </remarks>
public sealed partial class Subnet
{
    public RoundPlan BeginRound()
    {
        Round++;
        if (Round % (ulong)Settings.Limits.CheckpointIntervalRounds == 0)
        {
            Checkpoint();
        }

        var plan = new RoundPlan(Round);
        var ordinal = 0;
        foreach (var canister in ordered.Values)
        {
            canister.InstallCodeDebt = Math.Max(0, canister.InstallCodeDebt - Settings.Limits.InstallCodeRateLimitPerRound);
            canister.RoundDeltaBytes = 0;
            plan.Ordinals[canister.Id] = ordinal++;
            if (HasSystemTasks(canister))
            {
                plan.WithSystemTasks.Add(canister.Id);
            }
        }

        return plan;
    }

    /// <summary>Whether the system-task step of <paramref name="canister"/> could do anything this round.</summary>
    private bool HasSystemTasks(Canister canister)
    {
        if (canister.Sliced is not null)
        {
            return true;
        }

        if (canister.Module is null || canister.Status != CanisterStatus.Running)
        {
            return false;
        }

        var code = canister.Code!;
        return code.HasHeartbeat
            || (canister.GlobalTimerNanos != 0 && canister.GlobalTimerNanos <= TimeNanos && code.HasGlobalTimer)
            || canister.LowWasmMemoryHookPending
            || canister.Timers.Values.Any(t => t.DueNanos <= TimeNanos);
    }

    /// <summary>The canister's first step: advance its sliced execution, or run its heartbeat, timers and hooks.</summary>
    public RoundOutput RunSystemTasks(RoundPlan plan, Principal id)
    {
        var canister = this[id];
        var output = new RoundOutput(id) { CurrentKey = RoundOutput.SystemKey(plan.Ordinals[id]) };
        canister.Output = output;
        try
        {
            if (canister.Sliced is not null)
            {
                ContinueSliced(canister);
            }
            else
            {
                RunSystemTasks(canister);
            }
        }
        finally
        {
            canister.Output = null;
        }

        return output;
    }

    /// <summary>
    /// Takes the queue (with what the system tasks sent), answers messages to canisters that do not
    /// exist, and assigns every other message to its target.
    /// </summary>
    public void BeginDeliveries(RoundPlan plan, IEnumerable<RoundOutput> systemOutputs)
    {
        var outputs = systemOutputs.ToList();
        foreach (var record in Merge(outputs, o => o.Records))
        {
            Trace.Add(record);
        }

        inbox.AddRange(Merge(outputs, o => o.Sent));

        foreach (var output in outputs)
        {
            foreach (var (ingressId, result) in output.Replies)
            {
                ingressResults[ingressId] = result;
            }
        }

        plan.Batch = inbox;
        inbox = [];
        plan.SubnetOutput = new RoundOutput(null);
        for (var position = 0; position < plan.Batch.Count; position++)
        {
            var message = plan.Batch[position];
            if (canisters.ContainsKey(message.Target))
            {
                if (!plan.Deliveries.TryGetValue(message.Target, out var list))
                {
                    plan.Deliveries[message.Target] = list = [];
                }

                list.Add((position, message));
                continue;
            }

            plan.SubnetOutput.CurrentKey = RoundOutput.DeliveryKey(position);
            subnetOutput = plan.SubnetOutput;
            try
            {
                Deliver(message);
            }
            finally
            {
                subnetOutput = null;
            }
        }
    }

    /// <summary>The canister's second step: its messages of this round, in queue order.</summary>
    public RoundOutput RunDeliveries(RoundPlan plan, Principal id)
    {
        var canister = this[id];
        var output = new RoundOutput(id);
        if (!plan.Deliveries.TryGetValue(id, out var messages))
        {
            return output;
        }

        canister.Output = output;
        var heldBack = false;
        try
        {
            foreach (var (position, message) in messages)
            {
                output.CurrentKey = RoundOutput.DeliveryKey(position);
                if (canister.Sliced is not null)
                {
                    output.Deferred.Add((output.CurrentKey, message));
                    continue;
                }

                if (canister.RoundDeltaBytes >= Settings.Limits.MaxDeltaBytesPerRound)
                {
                    heldBack = true;
                    output.Deferred.Add((output.CurrentKey, message));
                    continue;
                }

                Deliver(message);
            }
        }
        finally
        {
            canister.Output = null;
        }

        if (heldBack)
        {
            canister.Metrics.RoundsHeldBack++;
        }

        return output;
    }

    /// <summary>
    /// Instead of <see cref="RunDeliveries"/>, for a canister the host cannot run (its durable state is
    /// lost): every message of this round to it is rejected with <paramref name="error"/> — ingress and
    /// install_code answered, calls answered to their callers' callbacks — and responses to it are
    /// dropped (their continuations cannot run). Nothing executes; the canister is not touched.
    /// </summary>
    public RoundOutput RejectDeliveries(RoundPlan plan, Principal id, CanisterError error)
    {
        var output = new RoundOutput(id);
        if (!plan.Deliveries.TryGetValue(id, out var messages))
        {
            return output;
        }

        var reject = CallResult.Rejected(error);
        foreach (var (position, message) in messages)
        {
            output.CurrentKey = RoundOutput.DeliveryKey(position);
            switch (message)
            {
                case IngressMessage ingress:
                    output.Replies.Add((ingress.Id, reject));
                    break;
                case InstallCodeMessage install:
                    output.Replies.Add((install.Id, reject));
                    break;
                case RequestMessage { CallbackId: not 0 } request:
                    output.Sent.Add((output.CurrentKey, new ResponseMessage(request.Source, request.CallbackId, reject)));
                    break;
            }
        }

        return output;
    }

    /// <summary>Merges the delivery outputs: trace, answers, and the next round's queue (deferred first).</summary>
    public void EndRound(RoundPlan plan, IEnumerable<RoundOutput> deliveryOutputs)
    {
        var outputs = deliveryOutputs.ToList();
        if (plan.SubnetOutput is { } own)
        {
            outputs.Add(own);
        }

        foreach (var record in Merge(outputs, o => o.Records))
        {
            Trace.Add(record);
        }

        var next = Merge(outputs, o => o.Deferred);
        next.AddRange(Merge(outputs, o => o.Sent));
        next.AddRange(inbox); // submitted while the canisters ran
        inbox = next;
        foreach (var output in outputs)
        {
            foreach (var (ingressId, result) in output.Replies)
            {
                ingressResults[ingressId] = result;
            }
        }

        foreach (var canister in ordered.Values)
        {
            if (canister.Status == CanisterStatus.Stopping && canister.OpenCallContexts == 0)
            {
                canister.Status = CanisterStatus.Stopped;
                canister.Version++;
            }
        }
    }

    /// <summary>
    /// The entries of all outputs by key — what a stable sort of their concatenation gives (equal keys:
    /// earlier output first, each output's entries in their order) — as a k-way merge: every output's
    /// list is already in key order (a step's key only grows), so this costs O(n log k) and one list.
    /// </summary>
    private static List<T> Merge<T>(List<RoundOutput> outputs, Func<RoundOutput, List<(long Key, T Item)>> select)
    {
        var lists = new List<(long Key, T Item)>[outputs.Count];
        var total = 0;
        var heads = new PriorityQueue<int, (long Key, int Output)>(outputs.Count);
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = select(outputs[i]);
            total += lists[i].Count;
            if (lists[i].Count > 0)
            {
                heads.Enqueue(i, (lists[i][0].Key, i));
            }
        }

        var merged = new List<T>(total);
        var next = new int[lists.Length];
        while (heads.TryDequeue(out var output, out var head))
        {
            var list = lists[output];
            var position = next[output];
            while (position < list.Count && list[position].Key == head.Key)
            {
                merged.Add(list[position++].Item); // the whole run of this key: one step's entries, in order
            }

            next[output] = position;
            if (position < list.Count)
            {
                if (list[position].Key < head.Key)
                {
                    throw new InvalidOperationException($"round output of {outputs[output].Canister} is not in key order at entry {position}");
                }

                heads.Enqueue(output, (list[position].Key, output));
            }
        }

        return merged;
    }

    private RoundOutput? subnetOutput;

    private RoundOutput? OutputOf(Canister? by) => by?.Output ?? subnetOutput;

    private void Record(Canister canister, in ExecutionRecord record)
    {
        if (OutputOf(canister) is { } output)
        {
            output.Records.Add((output.CurrentKey, record));
        }
        else
        {
            Trace.Add(record);
        }
    }

    private void Send(Canister? by, SubnetMessage message)
    {
        if (OutputOf(by) is { } output)
        {
            output.Sent.Add((output.CurrentKey, message));
        }
        else
        {
            inbox.Add(message);
        }
    }

    private void Reply(Canister? by, ulong ingressId, CallResult result)
    {
        if (OutputOf(by) is { } output)
        {
            output.Replies.Add((ingressId, result));
        }
        else
        {
            ingressResults[ingressId] = result;
        }
    }
}
