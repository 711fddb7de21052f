using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class MembershipPlanAndVoucherEditing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AppliesTo",
                table: "MembershipVouchers",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "MembershipVouchers",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "USD");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EndedAt",
                table: "MembershipVouchers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ValidFrom",
                table: "MembershipVouchers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RetiredAt",
                table: "MembershipPlans",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppliesTo",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "Currency",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "EndedAt",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "ValidFrom",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "MembershipPlans");
        }
    }
}
