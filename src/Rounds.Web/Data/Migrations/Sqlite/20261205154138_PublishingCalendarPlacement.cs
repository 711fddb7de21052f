using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublishingCalendarPlacement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt_PostId",
                table: "PostTarget");

            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id_Status",
                table: "Post");

            migrationBuilder.AddColumn<long>(
                name: "CalendarAt",
                table: "Post",
                type: "INTEGER",
                nullable: true);

            // Every existing post takes its place: its time, or else its first copy's publication (both stored as
            // the same integer instants). Written before the index is built, so the index is built once.
            migrationBuilder.Sql("""UPDATE "Post" SET "CalendarAt" = "ScheduledAt" WHERE "ScheduledAt" IS NOT NULL;""");
            migrationBuilder.Sql("""
                UPDATE "Post" SET "CalendarAt" = (SELECT MIN(t."PublishedAt") FROM "PostTarget" AS t WHERE t."PostId" = "Post"."Id")
                WHERE "ScheduledAt" IS NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_CalendarAt_Id_Status",
                table: "Post",
                columns: new[] { "OrganizationId", "CalendarAt", "Id", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_CalendarAt_Id_Status",
                table: "Post");

            migrationBuilder.DropColumn(
                name: "CalendarAt",
                table: "Post");

            migrationBuilder.CreateIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt_PostId",
                table: "PostTarget",
                columns: new[] { "OrganizationId", "PublishedAt", "PostId" });

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id_Status",
                table: "Post",
                columns: new[] { "OrganizationId", "ScheduledAt", "Id", "Status" });
        }
    }
}
