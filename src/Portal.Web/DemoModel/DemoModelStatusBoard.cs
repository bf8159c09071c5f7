namespace Lethe.Portal.Web.DemoModel;

/// <summary>The demo model's current status, read by pages and the home queue; <see cref="Changed"/> fires on every update.</summary>
public interface IDemoModelStatus
{
    DemoModelStatus Current { get; }

    /// <summary>Raised (on the updating thread) with the new status after every change.</summary>
    event Action<DemoModelStatus>? Changed;
}

/// <summary>Singleton holder of the demo model status; the build service publishes to it.</summary>
public sealed class DemoModelStatusBoard(DemoModelStatus initial) : IDemoModelStatus
{
    private DemoModelStatus _current = initial;

    public DemoModelStatus Current => Volatile.Read(ref _current);

    public event Action<DemoModelStatus>? Changed;

    public void Publish(DemoModelStatus status)
    {
        Volatile.Write(ref _current, status);
        Changed?.Invoke(status);
    }
}
