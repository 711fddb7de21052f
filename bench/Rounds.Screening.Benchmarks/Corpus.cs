using System.Text;

namespace Rounds.Screening.Benchmarks;

/// <summary>
/// A fixed mix of post shapes (clean, PHI, policy, trap-heavy) so that throughput is measured on realistic text
/// with every detector busy. Written for the benchmark; none of it is real.
/// </summary>
public static class Corpus
{
    public static IReadOnlyList<Post> Posts { get; } =
    [
        new("Mr. Dabrowski in dialysis chair 11 brought us homemade pierogi AGAIN 🥟 Three times a week for six years, at this point he's basically staff.", AccountKind.Personal),
        new("Going home day 🏠👶 Quinn Hollis, born at 26 weeks on May 2, is heading home at a whopping 5 lbs! We'll miss those chubby cheeks on our unit.", AccountKind.Department, "NICU at Silverpine Children's 👣"),
        new("Why does the payer portal need her SSN (318-40-2291), Medicare # (3QW7-HN2-XR58) AND our account number (HB-2207719) just to verify one 78-year-old?? Healthcare admin in 2026 😑", AccountKind.Personal),
        new("Spring allergies are here 🌸🤧 Rinse with saline, shower after time outdoors, and keep the windows shut on high-pollen days. Our allergy clinic is taking new patients: (208) 555-0131", AccountKind.Enterprise, "Juniper Valley Health 🌲 Hospitals and clinics across southwest Idaho."),
        new("Learn hands-only CPR ❤️ Free class Saturday, Feb 21 at 10am in the Maple Fork Community Room. Ages 12 and up welcome. Register: mapleforkmed.org/cpr", AccountKind.Enterprise, "Maple Fork Medical Center | Spokane, WA"),
        new("Feel 25 again 💪 Our testosterone therapy is guaranteed to restore energy, muscle & drive. New patients get their first injection FREE, DM us to claim yours!", AccountKind.Branded, "Dr. Brock Hallstrom | Men's Health Clinic"),
        new("Dr. Know-It-All on 4 North screamed at my new grad in front of the whole unit today. Real brave. You're a bully and a jackass, and the whole floor is sick of you 🖕", AccountKind.Personal),
        new("Telehealth visit with a pt out in Twin Falls kept dropping 📶 IT says her connection (192.0.2.146) is bouncing off a satellite. Rural health in one sentence.", AccountKind.Personal),
        new("RT life 🫁 spent lunch teaching the new grads how to set up high-flow nasal cannula. Shoutout to RT supervisor Dominic Ferraro for the donuts 🍩 #RTlife", AccountKind.Personal, "Respiratory therapist @JuniperValleyHealth 🫁 | views are my own"),
        new("Today we broke ground on our new pediatric behavioral health unit at 3300 Aspen Ridge Rd 🏗️\n\n32 beds for kids and teens in crisis, a family lounge, and an outdoor courtyard designed with input from our own teen advisory council. Opening 2027.", AccountKind.Branded, "Margaret Oduya, President & CEO of Silverpine Children's Hospital."),
        new("Please share Coach Ray Mendel's meal train 🍲 mealtrain.com/trains/x8p2kq\nHe's recovering from bypass surgery with us and his whole 10U hockey team wants to help!", AccountKind.Personal),
        new("Chart audit fun 🕵️ MRN 7730184 was discharged 12/04/2025 but admitted 12/09/2025. Time travel? Or copy-paste? 🤔 #CDI", AccountKind.Personal, "Clinical documentation specialist at Maple Fork Medical Center"),
        new("Patient: Harold Jankowski, DOB 03/14/1931, 94 y/o M. Lives at 2217 Birchwood Ave, Two Harbors, MN 55616 with daughter (phone 218-555-0177). Admitted 11/02/2025 for CHF exacerbation; seen by Dr. Whitfield.", AccountKind.Enterprise),
        new("Adults 50+ should get 2 doses of the shingles vaccine, even if you've already had shingles. Ask at your next visit or at your local pharmacy 💉 #Shingles", AccountKind.Personal, "Hospitalist, Maple Fork Medical Center. Opinions expressed here are mine."),
        new("June is Men's Health Month 👨 One in eight men will hear the words 'prostate cancer' in their lifetime. Men 55–69: ask your doctor whether PSA screening is right for you.", AccountKind.Enterprise, "Eastbrook General Hospital • Macon, Georgia"),
        new("Hope Will and May King join Union Liberty Center for the Long Young White Rose Brown event at 1200 Superior Street, Duluth, MN 55802 on 9/15 — call 1-800-555-0100 or email info@example.org.", AccountKind.Department),
    ];

    /// <summary>The corpus joined and cut to 3,000 characters: one long post.</summary>
    public static string LongPostText { get; } = string.Join(' ', Posts.Select(p => p.Text)) is var all && all.Length >= 3000
        ? all[..3000]
        : string.Concat(Enumerable.Repeat(all + " ", 3000 / all.Length + 1))[..3000];

    /// <summary>The corpus's size in UTF-8 bytes, the unit of the MB/s column.</summary>
    public static long Utf8Bytes { get; } = Posts.Sum(p => (long)Encoding.UTF8.GetByteCount(p.Text));
}
