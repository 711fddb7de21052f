using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class MembershipListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_NetworkMemberships_OrganizationId_StartsAt_Id",
                table: "NetworkMemberships",
                columns: new[] { "OrganizationId", "StartsAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipOrders_OrganizationId_CreatedAt_Id",
                table: "MembershipOrders",
                columns: new[] { "OrganizationId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_NetworkMemberships_OrganizationId_StartsAt_Id",
                table: "NetworkMemberships");

            migrationBuilder.DropIndex(
                name: "IX_MembershipOrders_OrganizationId_CreatedAt_Id",
                table: "MembershipOrders");
        }
    }
}
