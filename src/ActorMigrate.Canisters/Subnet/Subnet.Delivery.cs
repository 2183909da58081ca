namespace ActorMigrate.Canisters;

/// <summary>Delivering queued messages: ingress, calls, responses and install_code.</summary>
public sealed partial class Subnet
{
    private void Deliver(SubnetMessage message)
    {
        switch (message)
        {
            case IngressMessage ingress:
                DeliverCall(ingress, ingress.Target, ingress.Method, ingress.Arg, ingress.Caller, CallOrigin.Ingress(ingress.Id));
                break;
            case RequestMessage request:
                DeliverCall(request, request.Target, request.Method, request.Arg, request.Source,
                    request.CallbackId == 0 ? CallOrigin.System : CallOrigin.Canister(request.Source, request.CallbackId));
                break;
            case ResponseMessage response:
                DeliverResponse(response);
                break;
            case InstallCodeMessage install:
                DeliverInstallCode(install);
                break;
        }
    }

    private void DeliverCall(SubnetMessage message, Principal target, string method, object? arg, Principal caller, CallOrigin origin)
    {
        if (CheckCallable(target, method, isQuery: false) is { } reject)
        {
            Answer(canisters.GetValueOrDefault(target), origin, CallResult.Rejected(reject));
            return;
        }

        var canister = canisters[target];
        canister.Module!.Endpoints.TryGet(method, out var endpoint);
        Execute(canister, new Work(ExecutionKind.Update, method, caller, origin, ic => endpoint.Invoke(ic, arg)), message);
    }

    /// <summary>Why a call cannot reach its method, in the IC's words; null when it can.</summary>
    private CanisterError? CheckCallable(Principal target, string method, bool isQuery)
    {
        if (!canisters.TryGetValue(target, out var canister))
        {
            return new CanisterError(ErrorCode.CanisterNotFound, $"Canister {target} not found.");
        }

        if (canister.Status == CanisterStatus.Stopped)
        {
            return new CanisterError(ErrorCode.CanisterStopped, $"Canister {target} is stopped and therefore does not have a CallContextManager");
        }

        if (canister.Status == CanisterStatus.Stopping)
        {
            return new CanisterError(ErrorCode.CanisterStopping, $"Canister {target} is stopping");
        }

        if (canister.Module is null)
        {
            return new CanisterError(ErrorCode.CanisterWasmModuleNotFound,
                $"Error from Canister {target}: Attempted to execute a message, but the canister contains no Wasm module.");
        }

        if (!canister.Module.Endpoints.TryGet(method, out var endpoint) || (isQuery && !endpoint.IsQuery))
        {
            return new CanisterError(ErrorCode.CanisterMethodNotFound,
                $"Error from Canister {target}: Canister has no {(isQuery ? "query" : "update")} method '{method}'.");
        }

        return null;
    }

    private void DeliverResponse(ResponseMessage response)
    {
        var canister = canisters[response.Target];
        if (!canister.Callbacks.Remove(response.CallbackId, out var callback))
        {
            return;
        }

        var then = callback.Then;
        var result = response.Result;
        Execute(canister, new Work(ExecutionKind.Response, "response", canister.Id, callback.Origin, ic => then(ic, result)), response);
    }

    private void DeliverInstallCode(InstallCodeMessage install)
    {
        if (CheckInstallCode(install) is { } reject)
        {
            Reply(canisters.GetValueOrDefault(install.Target), install.Id, CallResult.Rejected(reject));
            return;
        }

        var canister = canisters[install.Target];
        var newModule = install.Module;
        var arg = install.Arg;
        Work work;
        if (install.Mode == InstallMode.Upgrade)
        {
            var oldModule = canister.Module!;
            var skip = install.SkipPreUpgrade;
            work = new Work(ExecutionKind.Upgrade, "canister_upgrade", install.Sender, CallOrigin.Ingress(install.Id), ic =>
            {
                if (!skip)
                {
                    oldModule.PreUpgrade(ic);
                }

                ic.SwitchToFreshHeap();
                newModule.PostUpgrade(ic, arg);
                return Outcome.Done;
            }) { Install = install };
        }
        else
        {
            work = new Work(ExecutionKind.Init, "canister_init", install.Sender, CallOrigin.Ingress(install.Id), ic =>
            {
                ic.SwitchToFreshHeap();
                newModule.Init(ic, arg);
                return Outcome.Done;
            }) { Install = install, WipesStableMemory = true };
        }

        Execute(canister, work, install);
    }

    private CanisterError? CheckInstallCode(InstallCodeMessage install)
    {
        if (!canisters.TryGetValue(install.Target, out var canister))
        {
            return new CanisterError(ErrorCode.CanisterNotFound, $"Canister {install.Target} not found.");
        }

        if (!canister.IsController(install.Sender))
        {
            return NotController(canister, install.Sender);
        }

        if (canister.InstallCodeDebt > 0)
        {
            return new CanisterError(ErrorCode.CanisterInstallCodeRateLimited,
                $"Canister {canister.Id} is rate limited because it executed too many instructions in the previous install_code messages. Please retry installation after several minutes.");
        }

        try
        {
            ModuleCode.Of(install.Module);
        }
        catch (ModuleStateException e)
        {
            return new CanisterError(ErrorCode.CanisterContractViolation, e.Message);
        }

        return install.Mode switch
        {
            InstallMode.Install when canister.Module is not null => new CanisterError(ErrorCode.CanisterNonEmpty,
                $"Canister {canister.Id} cannot be installed because the canister is not empty. Try installing with mode='reinstall' instead."),
            InstallMode.Upgrade when canister.Module is null => new CanisterError(ErrorCode.CanisterWasmModuleNotFound,
                $"Error from Canister {canister.Id}: Attempted to execute a message, but the canister contains no Wasm module."),
            _ => null,
        };
    }

    private static CanisterError NotController(Canister canister, Principal sender) =>
        new(ErrorCode.CanisterInvalidController,
            $"Only the controllers of the canister {canister.Id} can control it.\nCanister's controllers: {string.Join(" ", canister.Controllers)}\nSender's ID: {sender}");

    /// <summary>The committed install: the new module takes over; timers were cleared by the transaction.</summary>
    private void CompleteInstall(Canister canister, InstallCodeMessage install, ExecutionResult result)
    {
        canister.Module = install.Module;
        canister.Code = ModuleCode.Of(install.Module);
        canister.Version++;
        canister.InstallCodeDebt += result.InstructionsUsed;
        canister.LowWasmMemoryHookArmed = true;
        canister.LowWasmMemoryHookPending = false;
        Reply(canister, install.Id, CallResult.Replied(null));
    }
}
