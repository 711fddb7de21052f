using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxPagesInIndexOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_OrganizationId_HasInbound_WaitingSince",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_Answered",
                table: "Conversations",
                columns: new[] { "OrganizationId", "HasInbound", "LastMessageAt", "Id" },
                filter: "\"WaitingSince\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OrganizationId_HasInbound_WaitingSince_Id",
                table: "Conversations",
                columns: new[] { "OrganizationId", "HasInbound", "WaitingSince", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_Answered",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_OrganizationId_HasInbound_WaitingSince_Id",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OrganizationId_HasInbound_WaitingSince",
                table: "Conversations",
                columns: new[] { "OrganizationId", "HasInbound", "WaitingSince" });
        }
    }
}
