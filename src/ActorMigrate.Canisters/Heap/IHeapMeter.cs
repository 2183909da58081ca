namespace ActorMigrate.Canisters;

/// <summary>What a heap needs from the running execution: instruction charging and memory limit checks.</summary>
internal interface IHeapMeter
{
    CostModel Costs { get; }

    void Charge(long instructions);

    /// <summary>Called when the heap's size (high-water mark) grows; traps when a limit is crossed.</summary>
    void OnHeapGrown(long heapSizeBytes);

    /// <summary>Stops charging until <see cref="ResumeMetering"/> (rebuilding a stale <see cref="HeapLocals"/> value, which the IC would not run).</summary>
    void SuspendMetering();

    void ResumeMetering();
}
