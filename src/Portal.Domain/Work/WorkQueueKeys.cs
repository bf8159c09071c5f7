namespace Lethe.Portal.Domain.Work;

/// <summary>Keys of the work queues shown on the role home pages; the workflow implements sources for them.</summary>
public static class WorkQueueKeys
{
    public const string MyDrafts = "requester.drafts";
    public const string MyOpenRequests = "requester.open";
    public const string AwaitingApproval = "legal.awaiting-approval";
    public const string AwaitingEvidenceSignOff = "legal.awaiting-sign-off";
    public const string ReadyToRun = "engineer.ready-to-run";
    public const string RunningJobs = "engineer.running";
    public const string EvidenceToReview = "engineer.evidence-to-review";
    public const string DemoModel = "engineer.demo-model";
    public const string RecentlySignedOff = "auditor.recently-signed-off";
    public const string AuditChainAlerts = "auditor.chain-alerts";
    public const string OverdueRequests = "manager.overdue";
    public const string DueSoon = "manager.due-soon";
    public const string LockedAccounts = "admin.locked-accounts";
}
