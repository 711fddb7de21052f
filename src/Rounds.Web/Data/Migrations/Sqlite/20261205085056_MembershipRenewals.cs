using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembershipRenewals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EndReason",
                table: "NetworkMemberships",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "EndedAt",
                table: "NetworkMemberships",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "NoticesSent",
                table: "NetworkMemberships",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ReplacedByOrderId",
                table: "NetworkMemberships",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "GraceDays",
                table: "MembershipPlans",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ReplacesMembershipId",
                table: "MembershipOrderLines",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_NetworkMemberships_EndsAt_NoticesSent",
                table: "NetworkMemberships",
                columns: new[] { "EndsAt", "NoticesSent" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_NetworkMemberships_EndsAt_NoticesSent",
                table: "NetworkMemberships");

            migrationBuilder.DropColumn(
                name: "EndReason",
                table: "NetworkMemberships");

            migrationBuilder.DropColumn(
                name: "EndedAt",
                table: "NetworkMemberships");

            migrationBuilder.DropColumn(
                name: "NoticesSent",
                table: "NetworkMemberships");

            migrationBuilder.DropColumn(
                name: "ReplacedByOrderId",
                table: "NetworkMemberships");

            migrationBuilder.DropColumn(
                name: "GraceDays",
                table: "MembershipPlans");

            migrationBuilder.DropColumn(
                name: "ReplacesMembershipId",
                table: "MembershipOrderLines");
        }
    }
}
