using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;

namespace ErpFunctions.UnitTests.Domain;

public class PrerequisiteEvaluatorTests
{
    private static readonly UdfCheck Locked = new(1, "Y");
    private static readonly UdfCheck Posted = new(2, "Y");

    private static PrerequisiteFacts Ready => new(JobNumber.Parse("22-208"), AccessLevel.Standard, SpectrumJobFound: true,
        new ProjectLink(3000000101, "Harbor Pier Expansion", "origin_id"), null, BudgetToolActive: true,
        ProcoreBudgetLocked: false, Udfs(locked: "Y", posted: "y"));

    private static JobUdfs Udfs(string locked, string posted) => new(new Dictionary<int, string> { [1] = locked, [2] = posted });

    public static TheoryData<string, PrerequisiteFacts, PrerequisiteCode> SingleFailures => new()
    {
        { "read-only operator", Ready with { OperatorAccess = AccessLevel.ReadOnly }, PrerequisiteCode.PermissionDenied },
        { "no access at all", Ready with { OperatorAccess = AccessLevel.None }, PrerequisiteCode.PermissionDenied },
        { "budget tool off", Ready with { BudgetToolActive = false }, PrerequisiteCode.BudgetToolInactive },
        { "Procore budget locked", Ready with { ProcoreBudgetLocked = true }, PrerequisiteCode.ProcoreBudgetLocked },
        { "Spectrum budget open", Ready with { Udfs = Udfs(locked: "", posted: "Y") }, PrerequisiteCode.SpectrumBudgetNotLocked },
        { "estimates not posted", Ready with { Udfs = Udfs(locked: "Y", posted: "N") }, PrerequisiteCode.EstimatesNotPosted },
    };

    [Fact]
    public void Passes_a_ready_job_on_every_check()
    {
        var results = PrerequisiteEvaluator.Evaluate(Ready, Locked, Posted);

        results.Should().HaveCount(6).And.OnlyContain(r => r.State == PrerequisiteState.Passed);
        results.AllowsReimport().Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(SingleFailures))]
    public void Fails_exactly_the_broken_check_with_a_sentence(string @case, PrerequisiteFacts facts, PrerequisiteCode code)
    {
        var results = PrerequisiteEvaluator.Evaluate(facts, Locked, Posted);

        results.Where(r => r.State == PrerequisiteState.Failed).Select(r => r.Code).Should().Equal([code], @case);
        results.Single(r => r.Code == code).Sentence.Should().NotBeNullOrWhiteSpace();
        results.AllowsReimport().Should().BeFalse();
    }

    [Fact]
    public void Reports_every_failure_together()
    {
        var facts = Ready with
        {
            OperatorAccess = AccessLevel.ReadOnly, ProcoreBudgetLocked = true, Udfs = Udfs(locked: "N", posted: "N"),
        };

        PrerequisiteEvaluator.Evaluate(facts, Locked, Posted).Where(r => r.State == PrerequisiteState.Failed).Select(r => r.Code)
            .Should().BeEquivalentTo([PrerequisiteCode.PermissionDenied, PrerequisiteCode.ProcoreBudgetLocked,
                PrerequisiteCode.SpectrumBudgetNotLocked, PrerequisiteCode.EstimatesNotPosted]);
    }

    [Fact]
    public void Marks_unconfigured_and_inapplicable_checks_as_not_verified_never_passed()
    {
        var results = PrerequisiteEvaluator.Evaluate(Ready with { OperatorAccess = null }, budgetLocked: null, estimatesPosted: null);

        results.Where(r => r.State == PrerequisiteState.NotVerified).Select(r => r.Code).Should().BeEquivalentTo(
            [PrerequisiteCode.PermissionDenied, PrerequisiteCode.SpectrumBudgetNotLocked, PrerequisiteCode.EstimatesNotPosted]);
        results.AllowsReimport().Should().BeTrue();
    }

    [Fact]
    public void Fails_the_link_and_leaves_project_checks_unverified_when_no_project_is_linked()
    {
        var results = PrerequisiteEvaluator.Evaluate(
            Ready with { Link = null, LinkProblem = "Two projects claim job 22-208", BudgetToolActive = null, ProcoreBudgetLocked = null },
            Locked, Posted);

        results.Single(r => r.Code == PrerequisiteCode.JobNotLinked).Should().Be(
            new PrerequisiteResult(PrerequisiteCode.JobNotLinked, PrerequisiteState.Failed, "Two projects claim job 22-208"));
        results.Where(r => r.Code is PrerequisiteCode.BudgetToolInactive or PrerequisiteCode.ProcoreBudgetLocked)
            .Should().OnlyContain(r => r.State == PrerequisiteState.NotVerified);
    }

    [Fact]
    public void Fails_the_link_when_Spectrum_has_no_such_job()
    {
        var result = PrerequisiteEvaluator.Evaluate(Ready with { SpectrumJobFound = false }, Locked, Posted)
            .Single(r => r.Code == PrerequisiteCode.JobNotLinked);

        (result.State, result.Sentence).Should().Be((PrerequisiteState.Failed, "Spectrum has no job 22-208"));
    }
}
